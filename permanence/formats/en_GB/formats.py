# Dates read as councils write them in letters: "Thursday 31 December 2026".
DATE_FORMAT = "l j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "l j F Y, H:i"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
