"""Synthetic registers: a realistic province's women and children as an import bundle.

``generate(province, directory, options)`` writes the bundle (``mch.registers.bundle.spec``)
and returns a ``Manifest`` of what it wrote, including every data-entry error it injected.
``places.province_load`` and ``places.synthetic_province_ensure`` give it a province from
the database. See README.md in this package.
"""

from .errors import KINDS, MANIFEST_NAME, Manifest
from .generate import Options, generate

__all__ = ["KINDS", "MANIFEST_NAME", "Manifest", "Options", "generate"]
