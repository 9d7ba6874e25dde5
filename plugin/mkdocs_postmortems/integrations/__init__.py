"""Other tools' formats: the incident register as PagerDuty, incident.io or a CSV export."""
