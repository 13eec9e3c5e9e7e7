from django.apps import AppConfig


class RegistersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mch.registers"
    verbose_name = "Sổ sách ghi chép (bà mẹ và trẻ em)"
