"""Copies a Word file with every table cell's content centred vertically (<w:vAlign w:val="center"/>), as many
agencies' Word templates set it: `python3 make-centred-docx.py ../docx/pingtan-2021.pandoc.docx pingtan-2021.centred.docx`,
then `soffice --headless --convert-to pdf pingtan-2021.centred.docx`."""
import re
import sys
import zipfile

source, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == "word/document.xml":
            xml = data.decode("utf-8").replace("<w:tcPr>", '<w:tcPr><w:vAlign w:val="center"/>')
            xml = re.sub(r"<w:tc>(?!<w:tcPr>)", '<w:tc><w:tcPr><w:vAlign w:val="center"/></w:tcPr>', xml)
            data = xml.encode("utf-8")
        zout.writestr(item, data)
