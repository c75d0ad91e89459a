"""Human names for arXiv category codes, for badges and tooltips."""

from __future__ import annotations

CS_NAMES = {
    "AI": "Artificial Intelligence",
    "AR": "Hardware Architecture",
    "CC": "Computational Complexity",
    "CE": "Computational Engineering",
    "CG": "Computational Geometry",
    "CL": "Computation and Language",
    "CR": "Cryptography and Security",
    "CV": "Computer Vision",
    "CY": "Computers and Society",
    "DB": "Databases",
    "DC": "Distributed Computing",
    "DL": "Digital Libraries",
    "DM": "Discrete Mathematics",
    "DS": "Data Structures and Algorithms",
    "ET": "Emerging Technologies",
    "FL": "Formal Languages",
    "GL": "General Literature",
    "GR": "Graphics",
    "GT": "Computer Science and Game Theory",
    "HC": "Human-Computer Interaction",
    "IR": "Information Retrieval",
    "IT": "Information Theory",
    "LG": "Machine Learning",
    "LO": "Logic in Computer Science",
    "MA": "Multiagent Systems",
    "MM": "Multimedia",
    "MS": "Mathematical Software",
    "NA": "Numerical Analysis",
    "NE": "Neural and Evolutionary Computing",
    "NI": "Networking and Internet Architecture",
    "OH": "Other Computer Science",
    "OS": "Operating Systems",
    "PF": "Performance",
    "PL": "Programming Languages",
    "RO": "Robotics",
    "SC": "Symbolic Computation",
    "SD": "Sound",
    "SE": "Software Engineering",
    "SI": "Social and Information Networks",
    "SY": "Systems and Control",
}
OTHER_NAMES = {
    "stat.ML": "Machine Learning (Statistics)",
    "stat.ME": "Methodology",
    "stat.TH": "Statistics Theory",
    "stat.AP": "Applications",
    "stat.CO": "Computation",
    "math.OC": "Optimization and Control",
    "math.ST": "Statistics Theory",
    "math.PR": "Probability",
    "math.NA": "Numerical Analysis",
    "eess.AS": "Audio and Speech Processing",
    "eess.IV": "Image and Video Processing",
    "eess.SP": "Signal Processing",
    "eess.SY": "Systems and Control",
    "q-bio.NC": "Neurons and Cognition",
    "quant-ph": "Quantum Physics",
    "econ.EM": "Econometrics",
    "econ.TH": "Theoretical Economics",
}


def category_name(code: str) -> str:
    """``CL`` → ``Computation and Language``; ``cs.CL`` too; unknown codes name themselves."""
    short = code.removeprefix("cs.")
    return CS_NAMES.get(short) or OTHER_NAMES.get(code) or code
