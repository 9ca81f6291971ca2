"""Model providers behind one small interface (see types.py)."""
