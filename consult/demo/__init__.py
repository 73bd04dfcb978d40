"""Demo data for the Cần Thơ smart-city consultation."""
