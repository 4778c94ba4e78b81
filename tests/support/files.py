"""Small files for uploads."""

# The smallest PDF the upload checks accept: a header, a catalog, a trailer.
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
