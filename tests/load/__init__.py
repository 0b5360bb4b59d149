"""The demo shop under gunicorn, PostgreSQL and Redis, driven by a bounded crowd of simulated shoppers."""
