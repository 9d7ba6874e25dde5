"""Other tools' formats: the incident register (PagerDuty, incident.io, CSV) and the check's
reports for CI (SARIF, JUnit, GitLab Code Quality)."""
