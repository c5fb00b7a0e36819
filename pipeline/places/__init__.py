"""Places in Japan: postcodes, municipality codes (JIS X 0402) and municipality names."""
