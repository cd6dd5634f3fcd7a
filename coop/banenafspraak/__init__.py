"""The banenafspraak: counting each member's contribution by the year's rules."""
