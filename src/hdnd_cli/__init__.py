"""hdnd: deadlines and obligations between Vietnam's People's Councils and People's Committees."""

__version__ = "0.1.0"
