"""A synthetic city: realistic CAD calls in a real city's export format, for demos, tests
and benchmarks (real CAD data with remarks is never public).

    from coresponse.synth import generate, write
    for batch in generate("seattle", 100_000, seed=1):   # Arrow tables, in time order
        batch.calls, batch.facts
    write("detroit", 10_000, 7, Path("var/detroit.parquet"))

See docs/synth.md.
"""

from coresponse.synth.cities import CITIES
from coresponse.synth.generate import SynthBatch, SynthError, SynthSummary, generate, write
from coresponse.synth.kinds import FACTS

__all__ = ["CITIES", "FACTS", "SynthBatch", "SynthError", "SynthSummary", "generate", "write"]
