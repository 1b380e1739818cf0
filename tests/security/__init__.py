"""Security tests (issue 12): each proves one defect of the outside audit is prevented at its root."""
