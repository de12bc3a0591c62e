"""Reading fetched pages: selectolax for metadata, trafilatura for the main text, pypdf for PDFs."""

from project.adapters.extraction.extractor import HtmlPdfExtractor

__all__ = ["HtmlPdfExtractor"]
