"""Imports the rarely used part of the standard library on first use (installed by python-dist's
make_stdlib_zip.py into the core zip as _stdlib_extra).

Its modules live in /lib/python313-extra.zip, which the host downloads when one of them is
first imported (reading /dev/stdlib-extra asks it to); a host may also install it up front.
"""
import _imp
import os
import sys
# The frozen copy: importlib itself may live in the extra zip.
from _frozen_importlib_external import PathFinder

# Generated beside this module: the modules in the extra zip, and the packages with modules
# in both zips.
from _stdlib_extra_lists import MODULES, SPLIT_PACKAGES

EXTRA_ZIP = "/lib/python313-extra.zip"
CORE_ZIP = "/lib/python313.zip"


def _package_dir(name):
    return EXTRA_ZIP + "/" + name.replace(".", "/")


class ExtraStdlibFinder:
    loaded = False
    # The import that needed the extra zip first (what a start that should not need it did).
    loaded_for = None

    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        if fullname in SPLIT_PACKAGES:
            spec = PathFinder.find_spec(fullname, path)
            if spec is not None and cls.loaded and spec.submodule_search_locations is not None:
                spec.submodule_search_locations.append(_package_dir(fullname))
            return spec
        # A module CPython has frozen in (runpy, importlib.util...) is imported from there: its
        # copy in the extra zip is no reason to download it.
        if fullname in MODULES and not _imp.is_frozen(fullname):
            cls.load(fullname)
            cls.put_on_path()
        return None  # the path finder finds it now

    @classmethod
    def load(cls, fullname=None):
        if cls.loaded:
            return
        status = "not available"
        if not os.path.exists(EXTRA_ZIP):
            try:
                with open("/dev/stdlib-extra", "rb") as device:
                    status = device.read().decode("utf-8", "replace")
            except OSError as error:
                status = error.strerror or str(error)
        if not os.path.exists(EXTRA_ZIP):
            raise ImportError(
                "this part of the standard library is downloaded on first use, and the download "
                f"failed ({status}); check the connection and import it again")
        cls.loaded = True
        cls.loaded_for = fullname
        for name in SPLIT_PACKAGES:
            package = sys.modules.get(name)
            if package is not None and hasattr(package, "__path__"):
                package.__path__.append(_package_dir(name))


    @staticmethod
    def put_on_path():
        # Checked at every import from the extra zip, not only the first: a list put in place
        # of sys.path for a while (site.register_readline filters it while it imports PyREPL)
        # loses what was inserted into it meanwhile.
        if EXTRA_ZIP not in sys.path:
            at = sys.path.index(CORE_ZIP) + 1 if CORE_ZIP in sys.path else len(sys.path)
            sys.path.insert(at, EXTRA_ZIP)


sys.meta_path.insert(0, ExtraStdlibFinder)
