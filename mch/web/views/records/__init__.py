"""Register pages: data-entry forms for every record type and the register lists
(``urls.py`` holds their URLs under ``so/``)."""
