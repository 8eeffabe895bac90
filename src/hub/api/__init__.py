"""The sync API kiosks call (JSON over HTTPS, bearer tokens), described by `contract.wire`."""
