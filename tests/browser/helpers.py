"""What the browser journeys share: people with a known password and a verified e-mail, and logging
in through the login page."""

import re

from allauth.account.models import EmailAddress

from kenes.accounts.tests.factories import UserFactory

PASSWORD = "a long and unusual passphrase 42"


def person(email, name, language="en", home=None, **fields):
    """A user living in ``home`` who can log in with ``PASSWORD`` (their e-mail address is verified)."""
    user = UserFactory(
        email=email, display_name=name, language=language, password=PASSWORD, home_territory=home, **fields
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def log_in(page, language, email):
    """Log in afresh (the cookies of whoever was logged in are dropped) and land on /<language>/me/."""
    page.context.clear_cookies()
    page.goto(f"/{language}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/{language}/me/$"))
