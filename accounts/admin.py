"""The user admin as admins (not superusers) may use it: they manage analysts, never superusers.

Django's own UserAdmin lets anyone holding auth.change_user tick "superuser status" on any account, their own
included. Here a non-superuser sees no superuser accounts, and cannot set superuser status or direct permissions.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

User = get_user_model()
_SUPERUSER_ONLY_FIELDS = ("is_superuser", "user_permissions")


class AnalystManagingUserAdmin(UserAdmin):
    def get_queryset(self, request):
        users = super().get_queryset(request)
        return users if request.user.is_superuser else users.filter(is_superuser=False)

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return fields if request.user.is_superuser else (*fields, *_SUPERUSER_ONLY_FIELDS)


admin.site.unregister(User)
admin.site.register(User, AnalystManagingUserAdmin)
