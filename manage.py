#!/usr/bin/env python
from citemploi.__main__ import main

if __name__ == "__main__":
    main()
