"""Intake: partners' files in (people lists, the history takeover workbook) and record linkage without NIR."""
