"""The offline trainer of the fitted models (`make train`); query time reads them through `qa.models`."""
