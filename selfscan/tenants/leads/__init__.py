"""Leads: employers who, after their scan, ask their WSP to contact them, with consent."""
