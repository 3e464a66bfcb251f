from __future__ import annotations

from django.urls import path

from coresponse.casework import views

app_name = "casework"

urlpatterns = [
    path("", views.home, name="home"),
    path("find/", views.lookup, name="lookup"),
    path("repeat-callers/", views.repeat_callers_list, name="repeat-callers"),
    path("repeat-callers/enrol/", views.enrol, name="enrol"),
    path("clients/<str:public_id>/", views.client_page, name="client"),
    path("clients/<str:public_id>/notes/", views.notes, name="notes"),
    path("clients/<str:public_id>/assessments/", views.assessments, name="assessments"),
    path("clients/<str:public_id>/assess/<slug:slug>/", views.assess, name="assess"),
    path("clients/<str:public_id>/encounter/", views.record_encounter, name="encounter"),
    path("clients/<str:public_id>/refer/", views.refer_search, name="refer-search"),
    path("clients/<str:public_id>/refer/<str:service_id>/", views.refer, name="refer"),
    path("clients/<str:public_id>/audit/", views.audit_trail, name="audit"),
    path("clients/<str:public_id>/safety-note/", views.safety_note, name="safety-note"),
    path("clients/<str:public_id>/follow-ups/", views.add_follow_up, name="add-follow-up"),
    path("follow-ups/<int:pk>/done/", views.complete_follow_up, name="follow-up-done"),
    path("referrals/<int:pk>/<str:transition>/", views.referral_outcome, name="referral-outcome"),
]
