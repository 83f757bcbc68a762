SELECT d.id, d.user_id, d.title, d.description, d.category, d.status, d.duration_seconds, d.view_count, d.like_count, d.created_at FROM public.videos d ORDER BY d.created_at DESC, d.id DESC;
