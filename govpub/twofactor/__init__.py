"""Two-factor login (TOTP, GB/T 22239 等保): enrolment, the verify step after the password, recovery codes."""
