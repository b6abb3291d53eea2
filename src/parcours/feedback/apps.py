from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "parcours.feedback"
    label = "feedback"
    verbose_name = "Feedback, complaints and testimonies"
