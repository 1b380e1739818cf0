"""Security tests (issue 12): each proves that a defect the audit found is prevented."""
