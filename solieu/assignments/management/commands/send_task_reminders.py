from datetime import date

from django.core.management.base import BaseCommand

from solieu.assignments.reminders import send_task_reminders, send_task_reminders_task


class Command(BaseCommand):
    help = ("Gửi thư nhắc các đơn vị chủ trì về kết quả nhiệm vụ sắp đến hạn và quá hạn (mỗi lần nhắc chỉ gửi "
            "một lần). Chạy hằng ngày.")

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, help="Ngày coi là hôm nay (YYYY-MM-DD).")
        parser.add_argument("--enqueue", action="store_true", help="Đưa vào hàng đợi tác vụ nền thay vì gửi ngay.")

    def handle(self, *args, today=None, enqueue=False, **options):
        if enqueue:
            result = send_task_reminders_task.enqueue()
            self.stdout.write(f"Đã đưa vào hàng đợi: {result.id}")
            return
        self.stdout.write(f"Đã gửi {send_task_reminders(today)} thư nhắc về nhiệm vụ.")
