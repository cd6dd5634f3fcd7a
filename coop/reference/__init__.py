"""Reference lists the service ships with and loads once: labour-market regions and their
municipalities (CBS, 2026) and the SBI sections. Pure data, imports nothing of coop."""
