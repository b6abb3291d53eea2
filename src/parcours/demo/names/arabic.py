"""Names written in Arabic script: Sudan, Chad, Syria, Egypt, Kuwaiti bidoon, Maghreb.

Family names are mostly the father's or grandfather's given name (Sudan,
Chad), a clan or tribe (bidoon), or a family name (Syria, Egypt, Maghreb).
"""

from parcours.demo.names.model import Nationality, pool

ARABIC_MALE = pool("""
Mohamed/Mohammed/Muhammad/Mouhamed/Mohamad : محمد
Ahmed/Ahmad : أحمد
Abdallah/Abdullah/Abdalla/Abd Allah : عبد الله
Youssef/Yousef/Yusuf/Youssouf : يوسف
Ibrahim/Ebrahim/Brahim : إبراهيم
Omar/Umar/Oumar : عمر
Osman/Othman/Usman/Ousmane : عثمان
Adam/Adem : آدم
Ali : علي
Hassan/Hasan : حسن
Hussein/Hussain/Houssein/Hussien : حسين
Khalid/Khaled : خالد
Mustafa/Moustafa/Mostafa : مصطفى
Abdelrahman/Abdulrahman/Abderrahmane/Abdel Rahman : عبد الرحمن
Ismail/Ismael/Smail : إسماعيل
Suleiman/Sulaiman/Souleymane/Sliman : سليمان
Mahmoud/Mahmud : محمود
Bashir/Bachir/Bashier : بشير
Idris/Idriss/Edris : إدريس
Musa/Moussa/Mousa : موسى
Issa/Isa/Eisa : عيسى
Hamid/Hamed : حامد
Tarek/Tariq/Tarik : طارق
Karim/Kareem : كريم
Jamal/Djamal/Gamal : جمال
Walid/Waleed : وليد
Faris/Fares : فارس
Zakaria/Zakariya/Zakariyya : زكريا
Bilal : بلال
Hamza/Hamzah : حمزة
Saeed/Said/Saïd : سعيد
Saleh/Salih : صالح
Anas : أنس
Mohanad/Muhannad : مهند
Yahya/Yehia/Yahia : يحيى
Abdelaziz/Abdulaziz : عبد العزيز
Nasser/Nasir : ناصر
Haroun/Harun/Haroon : هارون
Ayoub/Ayub/Ayyub : أيوب
Amir/Ameer : أمير
""")

ARABIC_FEMALE = pool("""
Fatima/Fatma/Fatimah/Fatouma : فاطمة
Amina/Aminah/Ameena : أمينة
Aisha/Aicha/Aïcha/Ayesha : عائشة
Mariam/Maryam/Meriem/Mariem : مريم
Khadija/Khadidja/Khadijah : خديجة
Zainab/Zeinab/Zaynab : زينب
Hawa/Hawwa : حواء
Nour/Noor/Nur : نور
Salma/Selma : سلمى
Rania/Ranya : رانيا
Hanan : حنان
Asma/Asmaa : أسماء
Sara/Sarah : سارة
Layla/Leila/Laila : ليلى
Samira/Sameera : سميرة
Huda/Houda/Hoda : هدى
Halima/Halimah/Haleema : حليمة
Safia/Safiya/Safiyya : صفية
Rahma/Rahmah : رحمة
Amal : أمل
Souad/Suad : سعاد
Yasmin/Yasmine/Jasmin : ياسمين
Reem/Rim : ريم
Nawal : نوال
Hiba/Heba : هبة
Israa/Esraa/Isra : إسراء
Duaa/Doaa/Dua : دعاء
Iman/Eman/Imane : إيمان
""")

SUDAN_FAMILY = pool("""
Ahmed/Ahmad : أحمد
Abdallah/Abdalla/Abdullah : عبد الله
Adam/Adem : آدم
Ishag/Ishaq/Ishak : إسحاق
Osman/Othman : عثمان
Hassan/Hasan : حسن
Mohamed/Mohammed/Muhammad : محمد
Abakar/Abbakar/Abaker : أبكر
Haroun/Harun : هارون
Yahya/Yehia : يحيى
Abdelkarim/Abdulkarim/Abdel Karim : عبد الكريم
Ibrahim/Ebrahim : إبراهيم
Suleiman/Sulaiman : سليمان
Idris/Idriss : إدريس
Musa/Mousa : موسى
Bakhit/Bakheet : بخيت
Eltayeb/Altayeb/El Tayeb : الطيب
Elnour/Alnour/El Nour : النور
Babiker/Babikir : بابكر
Hamid/Hamed : حامد
Ismail/Ismael : إسماعيل
Yagoub/Yacoub/Yaqub : يعقوب
Gibril/Jibril/Djibril : جبريل
Khamis/Khamees : خميس
""")

SYRIA_FAMILY = pool("""
Al-Hassan/Alhassan/El Hassan : الحسن
Al-Ahmad/Alahmad : الأحمد
Haddad : حداد
Khalil/Khaleel : خليل
Al-Ali/Alali : العلي
Hamdan : حمدان
Darwish/Darwich : درويش
Al-Khatib/Alkhatib/El Khatib : الخطيب
Mansour/Mansur : منصور
Youssef/Yousef : يوسف
Kurdi/Kurdy : كردي
Al-Masri/Almasri : المصري
Najjar/Najar : نجار
Othman/Osman : عثمان
Hamoud/Hammoud : حمود
Al-Omar/Alomar : العمر
Shaaban/Chaabane/Shaban : شعبان
Sabbagh/Sabagh : صباغ
Qassem/Kassem/Qasem : قاسم
Al-Hamwi/Alhamwi : الحموي
""")

EGYPT_FAMILY = pool("""
Abdelaziz/Abdel Aziz/Abdulaziz : عبد العزيز
Elsayed/El Sayed/El-Sayed : السيد
Mahmoud/Mahmud : محمود
Hassan : حسن
Ibrahim : إبراهيم
Mostafa/Mustafa : مصطفى
Fathy/Fathi : فتحي
Ragab/Rajab : رجب
Shehata/Chehata : شحاتة
Abdelhamid/Abdel Hamid : عبد الحميد
Farouk/Farouq/Faruk : فاروق
Gamal/Jamal : جمال
Salem/Salim : سالم
Mansour : منصور
Ashour/Achour : عاشور
Soliman/Suleiman : سليمان
Hegazy/Hijazi/Hegazi : حجازي
""")

KUWAIT_MALE = pool("""
Fahad/Fahd : فهد
Saad : سعد
Mishal/Meshal/Mishaal : مشعل
Nawaf/Nawwaf : نواف
Sultan : سلطان
Bader/Badr : بدر
Talal : طلال
Turki : تركي
Abdulaziz/Abdelaziz : عبد العزيز
Khalid/Khaled : خالد
Mohammed/Mohamed/Muhammad : محمد
Hamad : حمد
Ali : علي
Yousef/Youssef : يوسف
""")

KUWAIT_FEMALE = pool("""
Noura/Nura : نورة
Hessa/Hissa : حصة
Manal : منال
Dana : دانة
Shaikha/Sheikha : شيخة
Mariam/Maryam : مريم
Fatima/Fatma : فاطمة
Nouf/Nuf : نوف
Ghada : غادة
""")

# Bidoon ("without nationality") take the name of their tribe.
KUWAIT_FAMILY = pool("""
Al-Enezi/Al-Anezi/Alenezi/Al Anazi : العنزي
Al-Shammari/Alshammari/Al-Chammari : الشمري
Al-Dhafiri/Al-Zafiri/Aldhafiri : الظفيري
Al-Mutairi/Almutairi/Al-Moutairi : المطيري
Al-Harbi/Alharbi : الحربي
Al-Ajmi/Alajmi : العجمي
Al-Fadhli/Al-Fadli : الفضلي
Al-Rashidi/Alrashidi : الرشيدي
Al-Azmi/Alazmi : العازمي
""")

# Chadian registers spell Arabic names the French way: Mahamat, Adoum, Hissein.
CHAD_MALE = pool("""
Mahamat/Mahammat/Mohamed : محمد
Abakar/Abbakar : أبكر
Hissein/Hissene/Hussein : حسين
Adoum/Adam : آدم
Moussa/Musa : موسى
Haroun/Harun : هارون
Idriss/Idris : إدريس
Brahim/Ibrahim : إبراهيم
Djibrine/Djibril/Jibril : جبرين
Ousmane/Osman : عثمان
Youssouf/Yusuf : يوسف
Abdelkerim/Abdelkarim : عبد الكريم
Saleh/Salih : صالح
Allamine/Al Amine : الأمين
Ahmat/Ahmed : أحمد
Zakaria/Zakaria : زكريا
Oumar/Omar : عمر
""")

CHAD_FEMALE = pool("""
Achta/Aicha : عائشة
Halime/Halima : حليمة
Fatime/Fatima/Fatimé : فاطمة
Zenaba/Zeinab : زينب
Khadidja/Khadija : خديجة
Hawaye/Hawa : حواء
Mariam/Maryam : مريم
Kaltouma/Kaltoum/Kaltum : كلتوم
Amina/Amne : أمينة
""")

MAGHREB_MALE = pool("""
Mohamed/Mohammed : محمد
Ahmed/Ahmad : أحمد
Youssef/Youcef/Yousef : يوسف
Amine/Amin/Lamine : أمين
Ayoub/Ayyoub : أيوب
Bilal/Billel : بلال
Hamza : حمزة
Walid/Oualid : وليد
Anis/Aniss : أنيس
Rayan/Rayane : ريان
Wassim/Wasim/Ouassim : وسيم
Aymen/Ayman/Aymane : أيمن
Oussama/Osama/Usama : أسامة
Achraf/Ashraf : أشرف
Mehdi/Mahdi : مهدي
Ilyes/Ilyas/Elias : إلياس
Sofiane/Sufyan/Soufiane : سفيان
Nabil/Nabeel : نبيل
Karim/Kareem : كريم
Zakaria/Zakariya : زكريا
Abderrahim/Abdelrahim : عبد الرحيم
Badreddine/Badr Eddine : بدر الدين
""")

MAGHREB_FEMALE = pool("""
Yasmine/Yasmina : ياسمين
Imane/Iman : إيمان
Meriem/Maryam : مريم
Khadija/Khadidja : خديجة
Salma/Selma : سلمى
Nour/Nor : نور
Chaima/Shaima : شيماء
Ines/Inès : إيناس
Rim/Reem : ريم
""")

TUNISIA_FAMILY = pool("""
Trabelsi/Trabelssi : الطرابلسي
Gharbi : الغربي
Jebali/Jbali : الجبالي
Ben Salah/Bensalah : بن صالح
Hammami/Hamami : الحمامي
Dridi : الدريدي
Mejri/Majri : الماجري
Ayari/Ayyari : العياري
Ben Amor/Benamor : بن عمر
Zouari/Zwari : الزواري
Jlassi : الجلاصي
Khemiri/Khmiri : الخميري
""")

ALGERIA_FAMILY = pool("""
Benali/Ben Ali : بن علي
Bouzid : بوزيد
Haddad : حداد
Mansouri/Mansuri : منصوري
Belkacem/Belkacemi : بلقاسم
Saidi/Saïdi : سعيدي
Rahmani : رحماني
Cherif/Sherif/Chérif : شريف
Mebarki : مباركي
Hamidi/Hamedi : حميدي
Boudjemaa/Boujemaa : بوجمعة
Bensaid/Ben Said : بن سعيد
""")

MOROCCO_FAMILY = pool("""
El Amrani/Amrani/Elamrani : العمراني
Alaoui/El Alaoui : العلوي
Idrissi/El Idrissi : الإدريسي
Bennani : بناني
Tazi : التازي
El Fassi/Fassi : الفاسي
Berrada : برادة
Ouazzani/Wazzani : الوزاني
Bouazza : بوعزة
El Khattabi/Khattabi : الخطابي
Benjelloun/Ben Jelloun : بنجلون
Ziani : الزياني
""")

SUDAN = Nationality(
    "SD",
    ARABIC_MALE,
    ARABIC_FEMALE,
    SUDAN_FAMILY,
    languages=(
        (("ar",), 70),
        (("ar", "fvr"), 12),
        (("ar", "zag"), 8),
        (("ar", "mls"), 6),
        (("ar", "en"), 4),
    ),
)
CHAD = Nationality(
    "TD",
    CHAD_MALE,
    CHAD_FEMALE,
    CHAD_MALE,
    languages=((("ar", "fr"), 50), (("shu",), 35), (("ar",), 15)),
)
SYRIA = Nationality(
    "SY",
    ARABIC_MALE,
    ARABIC_FEMALE,
    SYRIA_FAMILY,
    languages=((("ar",), 75), (("ar", "ku"), 15), (("ar", "en"), 10)),
)
EGYPT = Nationality(
    "EG", ARABIC_MALE, ARABIC_FEMALE, EGYPT_FAMILY, languages=((("ar",), 85), (("ar", "en"), 15))
)
KUWAIT = Nationality(
    "KW", KUWAIT_MALE, KUWAIT_FEMALE, KUWAIT_FAMILY, languages=((("ar",), 70), (("ar", "en"), 30))
)
TUNISIA = Nationality(
    "TN",
    MAGHREB_MALE,
    MAGHREB_FEMALE,
    TUNISIA_FAMILY,
    languages=((("ar", "fr"), 70), (("aeb",), 30)),
)
ALGERIA = Nationality(
    "DZ",
    MAGHREB_MALE,
    MAGHREB_FEMALE,
    ALGERIA_FAMILY,
    languages=((("ar", "fr"), 65), (("arq",), 20), (("kab", "fr"), 15)),
)
MOROCCO = Nationality(
    "MA",
    MAGHREB_MALE,
    MAGHREB_FEMALE,
    MOROCCO_FAMILY,
    languages=((("ar", "fr"), 60), (("ary",), 30), (("zgh", "ar"), 10)),
)
