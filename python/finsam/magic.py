"""The `%%finsam` cell magic: SQL against the open model, shown as a table.

    %load_ext finsam
    %%finsam
    SELECT name, start_date FROM intervention ORDER BY start_date

`%%finsam m` runs the cell against the model in the variable `m` instead of the current one.
"""

import finsam


def register(ipython):
    def finsam_magic(line, cell):
        name = line.strip()
        if name:
            model = ipython.user_ns.get(name)
            if not isinstance(model, finsam.Model):
                raise finsam.InvalidArgumentError(f"'{name}' is not a finsam.Model in this notebook")
        else:
            model = finsam.current()
            if model is None:
                raise finsam.InvalidArgumentError("no model is open: call finsam.open(path) or finsam.demo() first")
        return model.sql(cell)

    ipython.register_magic_function(finsam_magic, magic_kind="cell", magic_name="finsam")
