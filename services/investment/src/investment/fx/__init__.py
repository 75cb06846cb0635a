"""FX rates: EUR-based reference rates per currency and date, kept through the API or imported from the
ECB."""
