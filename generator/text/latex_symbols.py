"""What LaTeX commands and characters become in Unicode: Greek letters, escapes, math and text
symbols, accents, alphabets, the commands whose argument is kept or dropped, and sub- and
superscript characters (used by :mod:`generator.text.latex`).
"""

from __future__ import annotations

GREEK = {
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "epsilon": "ε",
    "varepsilon": "ε",
    "zeta": "ζ",
    "eta": "η",
    "theta": "θ",
    "vartheta": "ϑ",
    "iota": "ι",
    "kappa": "κ",
    "lambda": "λ",
    "mu": "μ",
    "nu": "ν",
    "xi": "ξ",
    "pi": "π",
    "rho": "ρ",
    "sigma": "σ",
    "tau": "τ",
    "upsilon": "υ",
    "phi": "φ",
    "varphi": "φ",
    "chi": "χ",
    "psi": "ψ",
    "omega": "ω",
    "Gamma": "Γ",
    "Delta": "Δ",
    "Theta": "Θ",
    "Lambda": "Λ",
    "Xi": "Ξ",
    "Pi": "Π",
    "Sigma": "Σ",
    "Phi": "Φ",
    "Psi": "Ψ",
    "Omega": "Ω",
}


ESCAPES = {  # escaped characters and spacing commands, the same in text and math
    "%": "%",
    "&": "&",
    "#": "#",
    "_": "_",
    "$": "$",
    "{": "{",
    "}": "}",
    " ": " ",
    "\\": " ",
    ",": " ",
}


MATH_SYMBOLS = ESCAPES | {
    "times": "×",
    "cdot": "·",
    "pm": "±",
    "mp": "∓",
    "leq": "≤",
    "le": "≤",
    "geq": "≥",
    "ge": "≥",
    "neq": "≠",
    "ne": "≠",
    "approx": "≈",
    "sim": "∼",
    "simeq": "≃",
    "propto": "∝",
    "infty": "∞",
    "sum": "∑",
    "prod": "∏",
    "int": "∫",
    "partial": "∂",
    "nabla": "∇",
    "in": "∈",
    "notin": "∉",
    "subset": "⊂",
    "subseteq": "⊆",
    "cup": "∪",
    "cap": "∩",
    "to": "→",
    "rightarrow": "→",
    "leftarrow": "←",
    "Rightarrow": "⇒",
    "Leftarrow": "⇐",
    "leftrightarrow": "↔",
    "mapsto": "↦",
    "ell": "ℓ",
    "ldots": "…",
    "cdots": "⋯",
    "dots": "…",
    "forall": "∀",
    "exists": "∃",
    "emptyset": "∅",
    "star": "⋆",
    "ast": "∗",
    "circ": "∘",
    "langle": "⟨",
    "rangle": "⟩",
    "lfloor": "⌊",
    "rfloor": "⌋",
    "lceil": "⌈",
    "rceil": "⌉",
    "log": "log",
    "ln": "ln",
    "exp": "exp",
    "sin": "sin",
    "cos": "cos",
    "tan": "tan",
    "max": "max",
    "min": "min",
    "arg": "arg",
    "argmax": "argmax",
    "argmin": "argmin",
    "lim": "lim",
    "sup": "sup",
    "inf": "inf",
    "det": "det",
    "dim": "dim",
    "mid": "|",
    "vert": "|",
    "Vert": "‖",
    "|": "‖",
    "top": "⊤",
    "prime": "′",
    ";": " ",
    ":": " ",
    "!": "",
    "quad": " ",
    "qquad": " ",
}


TEXT_SYMBOLS = ESCAPES | {
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
    "ldots": "…",
    "dots": "…",
    "textendash": "–",
    "textemdash": "—",
    "LaTeX": "LaTeX",
    "TeX": "TeX",
    "textasciitilde": "~",
    "textbackslash": "\\",
    "S": "§",
    "P": "¶",
    "copyright": "©",
    "dag": "†",
    "ddag": "‡",
}


ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
}


ALPHABETS = {
    "mathcal": ("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "𝒜ℬ𝒞𝒟ℰℱ𝒢ℋℐ𝒥𝒦ℒℳ𝒩𝒪𝒫𝒬ℛ𝒮𝒯𝒰𝒱𝒲𝒳𝒴𝒵"),
    "mathbb": ("ABCDEFGHIJKLMNOPQRSTUVWXYZ1", "𝔸𝔹ℂ𝔻𝔼𝔽𝔾ℍ𝕀𝕁𝕂𝕃𝕄ℕ𝕆ℙℚℝ𝕊𝕋𝕌𝕍𝕎𝕏𝕐ℤ𝟙"),
}


KEEP_ARGUMENT = {
    "text",
    "textrm",
    "textbf",
    "textit",
    "textsf",
    "texttt",
    "textsc",
    "textup",
    "emph",
    "mathrm",
    "mathbf",
    "mathit",
    "mathsf",
    "mathtt",
    "boldsymbol",
    "bm",
    "operatorname",
    "textnormal",
    "mbox",
    "hbox",
    "underline",
    "overline",
    "bar",
    "hat",
    "tilde",
    "vec",
    "widehat",
    "widetilde",
    "dot",
    "ddot",
    "url",
    "textsuperscript",
    "textsubscript",
}


SWITCHES = {  # declarations that take no argument and only change the look: dropped, with the space after them
    *("em", "bf", "it", "sl", "sc", "tt", "rm", "sf", "normalfont", "relax", "protect", "noindent"),
    *("bfseries", "mdseries", "itshape", "slshape", "scshape", "upshape", "rmfamily", "sffamily", "ttfamily"),
    *("tiny", "scriptsize", "footnotesize", "small", "normalsize", "large", "Large", "LARGE", "huge", "Huge"),
    *("displaystyle", "textstyle", "scriptstyle", "scriptscriptstyle"),
}
INVISIBLE = {"/", "-"}  # an italic correction, a hyphenation point


DROP_ARGUMENT = {"cite", "citep", "citet", "ref", "eqref", "label", "footnote", "vspace", "hspace"}


SUPERSCRIPTS = (
    dict(zip("0123456789+-=()nia", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵃ", strict=False))
    | dict(zip("bcdefghjklmoprstuvwxyz", "ᵇᶜᵈᵉᶠᵍʰʲᵏˡᵐᵒᵖʳˢᵗᵘᵛʷˣʸᶻ", strict=False))
    | {"−": "⁻", "T": "ᵀ", "*": "*", "′": "′"}
)


SUBSCRIPTS = (
    dict(zip("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎", strict=False))
    | dict(zip("aehijklmnoprstuvx", "ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=False))
    | {"−": "₋"}
)
