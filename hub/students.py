"""Add and remove the course hub's students: one system user each.

    sudo python3 hub/students.py add students.txt
    sudo python3 hub/students.py add --teachers teachers.txt
    sudo python3 hub/students.py password alice
    sudo python3 hub/students.py remove students.txt            # keeps their homes, for root only
    sudo python3 hub/students.py remove --delete-homes students.txt   # and their work

A list file holds one user name a line (lower-case letters, digits, `_`,
`-`, starting with a letter; at most 32 characters); blank lines and text
after `#` are ignored.

`add` creates every user not yet there with a home folder only they can
enter (mode 700), puts them in the students' group (or, with --teachers, the
teachers' group, whose members are the hub's admins), gives each new user a
random password and appends `name,password` to a file only root can read
(default /var/lib/nnlib-hub/passwords.csv) for the teacher to hand out.
Running it again with a longer list adds only the new names. `remove` deletes
only users in those groups, with their files in /tmp, and their lines in the
passwords file; it keeps their home folders (given to root, so that no later
user with the same uid can read them) unless told --delete-homes; adding the
same name again gives the kept folder back. A group left with no member is
removed too (hub/start.sh makes it again when the hub starts). Standard
library only: run it with any Python 3.
"""

import argparse
import grp
import os
import pwd
import re
import secrets
import subprocess
import sys
from pathlib import Path

NAME = re.compile(r"[a-z][a-z0-9_-]{0,31}")
# Letters and digits that cannot be mistaken for each other on a printed slip.
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
FIRST_REGULAR_UID = 1000  # below this, accounts belong to the system


def read_names(path):
    """The user names in a list file, checked, in order, without repeats."""
    names = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        name = line.split("#", 1)[0].strip()
        if not name:
            continue
        if not NAME.fullmatch(name):
            sys.exit(f"{path}, line {number}: {name!r} is not a valid user name "
                     "(lower-case letters, digits, _ and -, starting with a letter, at most 32)")
        if name not in names:
            names.append(name)
    if not names:
        sys.exit(f"{path} lists no user names")
    return names


def run(*command, stdin=None):
    result = subprocess.run(command, input=stdin, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"{' '.join(command)} failed: {result.stderr.strip()}")


def user(name):
    try:
        return pwd.getpwnam(name)
    except KeyError:
        return None


def ensure_group(group):
    try:
        grp.getgrnam(group)
    except KeyError:
        run("groupadd", group)
        print(f"created group {group}")


def in_group(name, group):
    try:
        members = grp.getgrnam(group).gr_mem
    except KeyError:
        return False
    return name in members


def new_password():
    return "".join(secrets.choice(ALPHABET) for _ in range(12))


def set_password(name, passwords):
    password = new_password()
    run("chpasswd", stdin=f"{name}:{password}\n")
    passwords.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(passwords, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(descriptor, "a", encoding="utf-8") as file:
        file.write(f"{name},{password}\n")
    os.chmod(passwords, 0o600)


def make_private(account):
    """Home folder mode 700: no other student can list or read anything in it."""
    os.chmod(account.pw_dir, 0o700)


def add(names, group, passwords):
    # Check every name before changing anything.
    for name in names:
        account = user(name)
        if account and account.pw_uid < FIRST_REGULAR_UID:
            sys.exit(f"{name} is a system account (uid {account.pw_uid}); choose another name. Nothing was changed.")
    ensure_group(group)
    for name in names:
        account = user(name)
        if account is None:
            kept = Path("/home", name)
            existed = kept.is_dir() and not kept.is_symlink()  # kept by an earlier `remove`
            # -K HOME_MODE: Debian's useradd would otherwise make the home readable by all.
            run("useradd", "--create-home", "--shell", "/bin/bash", "--groups", group,
                "-K", "HOME_MODE=0700", name)
            account = user(name)
            if existed and Path(account.pw_dir) == kept:
                run("chown", "-R", "--no-dereference", f"{account.pw_uid}:{account.pw_gid}", str(kept))
                print(f"{name}: the home folder kept from before is theirs again")
            set_password(name, passwords)
            print(f"added {name} (home {account.pw_dir})")
        else:
            if not in_group(name, group):
                run("usermod", "--append", "--groups", group, name)
            print(f"{name} already exists: kept, in group {group}, password unchanged")
        make_private(account)
    print(f"passwords of new users: {passwords} (readable by root only)")


def password(names, groups, passwords):
    for name in names:
        if not any(in_group(name, group) for group in groups):
            sys.exit(f"{name} is not in the groups {', '.join(groups)}; nothing was changed")
    for name in names:
        set_password(name, passwords)
        print(f"new password for {name} in {passwords}")


def forget_passwords(names, passwords):
    """Rewrite the passwords file without the lines of `names` (atomically, mode 600)."""
    if not passwords.is_file():
        return
    lines = passwords.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if line.split(",", 1)[0] not in names]
    if kept == lines:
        return
    partial = passwords.with_name(f".{passwords.name}.part")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.writelines(kept)
    os.replace(partial, passwords)
    print(f"removed {len(lines) - len(kept)} password line(s) from {passwords}")


def remove_empty_groups(groups):
    """Delete each of `groups` that exists and has no member left."""
    for group in groups:
        try:
            entry = grp.getgrnam(group)
        except KeyError:
            continue
        if entry.gr_mem or any(account.pw_gid == entry.gr_gid for account in pwd.getpwall()):
            continue
        run("groupdel", group)
        print(f"removed the empty group {group}")


def remove(names, groups, delete_homes, passwords):
    for name in names:
        if user(name) and not any(in_group(name, group) for group in groups):
            sys.exit(f"{name} is not in the groups {', '.join(groups)}; refusing to remove it. Nothing was changed.")
    for name in names:
        if user(name) is None:
            print(f"{name}: no such user")
            continue
        account = user(name)
        # Stop what the user still runs (their server, kernels), then remove the account,
        # and what they left in the shared temporary folders.
        subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
        subprocess.run(["find", "/tmp", "/var/tmp", "/dev/shm", "-xdev", "-user", name, "-delete"],
                       capture_output=True)
        if delete_homes:
            run("userdel", "--remove", name)
            print(f"removed {name} and their home folder")
        else:
            # The kept home goes to root: a user added later may get the same uid,
            # and must not inherit this student's files.
            home = Path(account.pw_dir)
            if home.is_dir() and not home.is_symlink():
                os.chown(home, 0, 0)
                os.chmod(home, 0o700)
            run("userdel", name)
            print(f"removed {name}; their home folder {home} is kept, readable by root only")
    forget_passwords(set(names), passwords)
    remove_empty_groups(groups)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students-group", default=os.environ.get("NNLIB_HUB_STUDENTS", "students"))
    parser.add_argument("--teachers-group", default=os.environ.get("NNLIB_HUB_TEACHERS", "teachers"))
    parser.add_argument("--passwords", type=Path,
                        default=Path(os.environ.get("NNLIB_HUB_STATE", "/var/lib/nnlib-hub")) / "passwords.csv",
                        help="file that new passwords are appended to (mode 600)")
    commands = parser.add_subparsers(dest="command", required=True)
    adding = commands.add_parser("add", help="create the users in a list file")
    adding.add_argument("list")
    adding.add_argument("--teachers", action="store_true", help="add them to the teachers' (admins') group")
    resetting = commands.add_parser("password", help="give users a new random password")
    resetting.add_argument("names", nargs="+")
    removing = commands.add_parser("remove", help="remove the users in a list file")
    removing.add_argument("list")
    removing.add_argument("--delete-homes", action="store_true", help="also delete their home folders and work")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        sys.exit("run it as root (sudo): it creates and removes system users")
    groups = (args.students_group, args.teachers_group)
    if args.command == "add":
        add(read_names(args.list), args.teachers_group if args.teachers else args.students_group, args.passwords)
    elif args.command == "password":
        password(args.names, groups, args.passwords)
    else:
        remove(read_names(args.list), groups, args.delete_homes, args.passwords)


if __name__ == "__main__":
    main()
