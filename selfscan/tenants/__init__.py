"""WSP tenants: who offers the scan under which branding, and who receives its leads."""
