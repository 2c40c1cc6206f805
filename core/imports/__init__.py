"""Bulk import of registers (CSV or XLSX) and export of scoped lists."""
