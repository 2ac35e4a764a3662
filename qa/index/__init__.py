"""The on-disk index: manifest and files, atomic publish, build, add and remove, open."""
