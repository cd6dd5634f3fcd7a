"""Allocation: match scores, batch allocation, placements and their follow-up."""
