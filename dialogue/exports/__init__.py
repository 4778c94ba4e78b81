"""Pure export writers: rows in, file out (CSV, XLSX, PDF)."""
