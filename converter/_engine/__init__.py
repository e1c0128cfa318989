"""Engine: LibreOffice workers."""
