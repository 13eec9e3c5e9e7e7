"""Django forms of the web interface. Forms parse and show; registers services write."""
