def money(value) -> str:
    """Money as a plain decimal string with 8 places: "0.00036000", never "0E-8"."""
    return f"{value:.8f}"
