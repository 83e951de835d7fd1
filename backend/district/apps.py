from django.apps import AppConfig


class DistrictConfig(AppConfig):
    """The coordination office's register: offers, network partners and referral figures."""

    name = "backend.district"
    label = "district"
    verbose_name = "Bestandsaufnahme"
