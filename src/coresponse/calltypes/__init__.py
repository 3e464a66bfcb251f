"""Call-type mapping: each city's own codes onto the shared category and APCO code."""

from coresponse.calltypes.mapping import MappedType, load_mapping

__all__ = ["MappedType", "load_mapping"]
