"""The tool's RSA signing keys: the current one signs, every published one is in the JWKS.

Keys live in `<instance>/lti/keys/<kid>.pem` (files 0600, folders 0700); `current` names the
key that signs. The first key is made on first use. Rotation makes a new current key and keeps
the old ones published, because platforms cache our JWKS and may still check a message signed
a moment ago against an old key; an admin retires an old key once platforms have moved on.
SIMULATOR_LTI_PRIVATE_KEY (PEM text, or a path to a PEM file) names the current key instead,
for servers that do not share an instance folder; keys in the folder stay published beside it.
The kid is the key's RFC 7638 thumbprint, so the same key always has the same kid.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask
from jwcrypto.jwk import JWK

KEY_SIZE = 2048
CURRENT = "current"
_CACHE = "simulator.lti_keys"


class ToolKeyError(RuntimeError):
    """A key cannot be loaded, made or retired; the message says what to change."""


@dataclass(frozen=True)
class ToolKey:
    """One RSA key pair: its kid, the private key as PEM text, and the public JWK."""

    kid: str
    private_pem: str
    public_jwk: dict[str, Any]


@dataclass(frozen=True)
class ToolKeys:
    """The key that signs now and every key a platform may still verify against."""

    current: ToolKey
    published: tuple[ToolKey, ...]

    @property
    def current_kid(self) -> str:
        return self.current.kid

    @property
    def current_private_pem(self) -> str:
        return self.current.private_pem

    @property
    def current_public_pem(self) -> str:
        return JWK(**self.current.public_jwk).export_to_pem().decode("ascii")

    def jwks(self) -> dict[str, list[dict[str, Any]]]:
        """The public keys, current first, as a JSON Web Key Set."""
        return {"keys": [dict(key.public_jwk) for key in self.published]}


def key_dir(app: Flask) -> Path:
    return Path(app.instance_path) / "lti" / "keys"


def parse_key(pem: str | bytes, where: str) -> ToolKey:
    """A ToolKey from PEM text; ToolKeyError names `where` when it is not a usable RSA key."""
    data = pem.encode("ascii", "replace") if isinstance(pem, str) else pem
    try:
        private = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as error:
        raise ToolKeyError(f"{where}: not a PEM private key ({type(error).__name__}).") from None
    if not isinstance(private, rsa.RSAPrivateKey):
        raise ToolKeyError(f"{where}: an RSA private key is needed (LTI signs with RS256).")
    if private.key_size < KEY_SIZE:
        raise ToolKeyError(f"{where}: the RSA key has {private.key_size} bits; at least "
                           f"{KEY_SIZE} needed.")
    public = JWK.from_pyca(private.public_key())
    kid = public.thumbprint()
    jwk = public.export_public(as_dict=True)
    jwk.update(kid=kid, alg="RS256", use="sig")
    text = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption()).decode("ascii")
    return ToolKey(kid=kid, private_pem=text, public_jwk=jwk)


def configured_key(value: str) -> ToolKey:
    """The key SIMULATOR_LTI_PRIVATE_KEY gives: PEM text, or the path of a PEM file."""
    text = value.strip()
    if text.startswith("-----BEGIN"):
        return parse_key(text, "SIMULATOR_LTI_PRIVATE_KEY")
    path = Path(text).expanduser()
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ToolKeyError(f"SIMULATOR_LTI_PRIVATE_KEY: cannot read the key file {path} "
                           f"({error.strerror or type(error).__name__}).") from None
    return parse_key(data, f"SIMULATOR_LTI_PRIVATE_KEY ({path})")


def _private_folder(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    for folder in (path.parent, path):
        os.chmod(folder, 0o700)


def _write_new(path: Path, text: str) -> bool:
    """Write a file readable by the owner only; False when it already exists."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(text)
    return True


def _new_key(folder: Path) -> ToolKey:
    """Generate a key pair and store it as <kid>.pem."""
    _private_folder(folder)
    private = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    key = parse_key(private.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()), "generated key")
    _write_new(folder / f"{key.kid}.pem", key.private_pem)
    return key


def _folder_keys(folder: Path) -> dict[str, ToolKey]:
    if not folder.is_dir():
        return {}
    keys = {}
    for path in sorted(folder.glob("*.pem")):
        key = parse_key(path.read_bytes(), str(path))
        keys[key.kid] = key
    return keys


def _current_kid(folder: Path) -> str | None:
    try:
        return (folder / CURRENT).read_text(encoding="ascii").strip() or None
    except FileNotFoundError:
        return None


def _first_key(folder: Path) -> str:
    """Make the first key; when another worker made one at the same moment, use theirs."""
    key = _new_key(folder)
    if _write_new(folder / CURRENT, key.kid):
        return key.kid
    (folder / f"{key.kid}.pem").unlink(missing_ok=True)  # never current: never published
    return _current_kid(folder) or key.kid


def _signature(app: Flask) -> tuple:
    """What the keys were loaded from: the setting and the folder's files as they are now."""
    folder = key_dir(app)
    files = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.iterdir())) \
        if folder.is_dir() else ()
    return app.config.get("LTI_PRIVATE_KEY") or "", files


def _load(app: Flask) -> ToolKeys:
    folder, configured = key_dir(app), app.config.get("LTI_PRIVATE_KEY")
    if configured:
        current = configured_key(str(configured))
    else:
        kid = _current_kid(folder) or _first_key(folder)
        found = _folder_keys(folder)
        if kid not in found:
            raise ToolKeyError(f"{folder / CURRENT} names key {kid}, but {folder} has no "
                               f"{kid}.pem. Run `simulator lti rotate-key` to make a new one.")
        current = found[kid]
    others = [k for kid, k in _folder_keys(folder).items() if kid != current.kid]
    return ToolKeys(current=current, published=(current, *others))


def tool_keys(app: Flask) -> ToolKeys:
    """The tool's keys, made on first use, reloaded when the folder or the setting changes."""
    signature = _signature(app)
    cached = app.extensions.get(_CACHE)
    if cached and cached[0] == signature:
        return cached[1]
    keys = _load(app)
    app.extensions[_CACHE] = (_signature(app), keys)
    return keys


def rotate_key(app: Flask) -> ToolKey:
    """Make a new current key; the old ones stay published until retired."""
    if app.config.get("LTI_PRIVATE_KEY"):
        raise ToolKeyError("The current key comes from SIMULATOR_LTI_PRIVATE_KEY; to rotate, "
                           "publish the old key's file in the key folder and change the setting.")
    tool_keys(app)  # the first key exists before there is anything to rotate from
    folder = key_dir(app)
    key = _new_key(folder)
    staged = folder / f".{CURRENT}.{os.getpid()}"
    staged.unlink(missing_ok=True)
    _write_new(staged, key.kid)
    os.replace(staged, folder / CURRENT)
    return key


def retire_key(app: Flask, kid: str) -> None:
    """Stop publishing an old key (never the current one)."""
    keys = tool_keys(app)
    if kid == keys.current_kid:
        raise ToolKeyError(f"{kid} is the current key; rotate first (`simulator lti rotate-key`), "
                           "then retire it once platforms have fetched the new JWKS.")
    path = key_dir(app) / f"{kid}.pem"
    if not path.is_file():
        known = ", ".join(k.kid for k in keys.published)
        raise ToolKeyError(f"No published key {kid!r} in {key_dir(app)} (published: {known}).")
    path.unlink()
