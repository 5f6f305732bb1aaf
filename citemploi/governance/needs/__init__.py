"""The register of uncovered needs (« besoins non couverts », issue 15 item 3): models, lifecycle, synchronisation
from pathways' aggregates, coverage against the census, services, selectors and export."""
