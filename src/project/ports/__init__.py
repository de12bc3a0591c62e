"""The interfaces the domain needs, as typing.Protocol classes. They import only the model."""
