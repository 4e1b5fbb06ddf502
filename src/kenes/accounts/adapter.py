from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Kenes' hooks into allauth (e-mail rendering in the recipient's language, etc.)."""
