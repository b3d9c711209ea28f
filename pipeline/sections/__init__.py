"""The parts of the committee paper, one module each; `pipeline/report.py` assembles them."""
