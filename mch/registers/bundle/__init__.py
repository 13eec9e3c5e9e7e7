"""The CSV/XLSX bundle: the register files that are imported, exported and generated."""
