from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from parcours.access.scope import is_configuration_admin
from parcours.org.models import Mission


@login_required
def index(request):
    if not is_configuration_admin(request.user):
        raise Http404
    missions = Mission.objects.prefetch_related("projects__sites")
    return render(request, "org/index.html", {"missions": missions})
