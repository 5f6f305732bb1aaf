"""Steering: instances and meetings, decisions followed to the end, the versioned roadmap, the COPIL pack."""
