"""Durable chunked background jobs (archive rescans, site crawls, bulletins): see runner.py."""
